using Microsoft.AspNetCore.Components.Forms;

namespace LifeOs.Web.Components;

public static class FormErrors
{
    /// <summary>Shows a Core service's field errors (field name → message) beside their inputs.</summary>
    public static void Show(this EditContext editContext, ValidationMessageStore messages, IReadOnlyDictionary<string, string> errors)
    {
        foreach (var (field, message) in errors)
        {
            messages.Add(editContext.Field(field), message);
        }

        editContext.NotifyValidationStateChanged();
    }
}

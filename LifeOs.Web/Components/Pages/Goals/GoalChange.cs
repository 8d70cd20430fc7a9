namespace LifeOs.Web.Components.Pages.Goals;

public enum GoalChange
{
    Archived,
    Restored,
    Deleted,
}

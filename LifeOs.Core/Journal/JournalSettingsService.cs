using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <param name="Templates">The user's template for every kind (their own, or the default).</param>
public sealed record JournalSettings(bool StreakGraceRule, IReadOnlyDictionary<JournalKind, string> Templates);

/// <summary>Per-user journal templates and the streak grace rule, edited in /settings.</summary>
public sealed class JournalSettingsService(LifeOsDbContext db)
{
    public const int MaxTemplateLength = 10_000;

    /// <summary>The settings form field that holds the template of <paramref name="kind"/>.</summary>
    public static string TemplateField(JournalKind kind) => $"{kind}Template";

    public async Task<JournalSettings> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var own = await db.JournalTemplates.AsNoTracking().Where(t => t.UserId == userId)
            .ToDictionaryAsync(t => t.Kind, t => t.Body, cancellationToken);
        var grace = await db.JournalPreferences.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => p.StreakGraceRule).SingleOrDefaultAsync(cancellationToken);
        return new JournalSettings(grace, JournalKinds.All.ToDictionary(k => k, k => own.TryGetValue(k, out var body) ? body : k.DefaultTemplate()));
    }

    public async Task<string> GetTemplateAsync(string userId, JournalKind kind, CancellationToken cancellationToken = default) =>
        await db.JournalTemplates.AsNoTracking().Where(t => t.UserId == userId && t.Kind == kind)
            .Select(t => t.Body).SingleOrDefaultAsync(cancellationToken) ?? kind.DefaultTemplate();

    /// <returns>Field name → message; empty when saved. A template equal to the default is stored as "no template of my own".</returns>
    public async Task<IReadOnlyDictionary<string, string>> UpdateAsync(string userId, JournalSettings settings, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        foreach (var (kind, body) in settings.Templates)
        {
            if (!Enum.IsDefined(kind))
            {
                continue;
            }

            if ((body ?? "").Length > MaxTemplateLength)
            {
                errors[TemplateField(kind)] = $"A template can hold up to {MaxTemplateLength:N0} characters.";
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var existing = await db.JournalTemplates.Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        foreach (var (kind, raw) in settings.Templates.Where(t => Enum.IsDefined(t.Key)))
        {
            var body = (raw ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
            var row = existing.Find(t => t.Kind == kind);
            var isDefault = body.Trim() == kind.DefaultTemplate().Trim();
            if (isDefault && row is not null)
            {
                db.JournalTemplates.Remove(row);
            }
            else if (!isDefault && row is null)
            {
                db.JournalTemplates.Add(new JournalTemplate { UserId = userId, Kind = kind, Body = body });
            }
            else if (!isDefault)
            {
                row!.Body = body;
            }
        }

        var preferences = await db.JournalPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (preferences is null)
        {
            db.JournalPreferences.Add(new JournalPreferences { UserId = userId, StreakGraceRule = settings.StreakGraceRule });
        }
        else
        {
            preferences.StreakGraceRule = settings.StreakGraceRule;
        }

        await db.SaveChangesAsync(cancellationToken);
        return errors;
    }
}

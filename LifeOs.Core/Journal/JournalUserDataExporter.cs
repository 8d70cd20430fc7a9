using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>The journal's share of the full-account export: entries as JSON, the same entries as Markdown files, and the templates.</summary>
public sealed class JournalUserDataExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 30;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var entries = await db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId)
            .OrderBy(e => e.LocalDate).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("journal/entries.json", entries.Select(e => new
        {
            id = e.Uid,
            date = e.LocalDate,
            kind = e.Kind.Slug(),
            week = e.Week,
            title = e.Title,
            body = e.Body,
            mood = e.Mood,
            energy = e.Energy,
            tags = JournalService.SplitTags(e.Tags),
            wordCount = e.WordCount,
            createdAt = e.CreatedAt,
            updatedAt = e.UpdatedAt,
        }), cancellationToken);

        foreach (var entry in entries)
        {
            await writer.WriteTextAsync("journal/markdown/" + JournalArchive.FileName(entry), JournalArchive.ToMarkdown(entry), cancellationToken);
        }

        var templates = await db.JournalTemplates.AsNoTracking().Where(t => t.UserId == userId)
            .Select(t => new { t.Kind, t.Body }).ToListAsync(cancellationToken);
        var grace = await db.JournalPreferences.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => (bool?)p.StreakGraceRule).SingleOrDefaultAsync(cancellationToken);
        await writer.WriteJsonAsync("journal/settings.json", new
        {
            streakGraceRule = grace ?? false,
            templates = templates.ToDictionary(t => t.Kind.Slug(), t => t.Body),
        }, cancellationToken);
    }
}

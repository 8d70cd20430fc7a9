using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>The journal's share of the full-account export: entries as JSON, the same entries as Markdown files, unsaved drafts, and the templates.</summary>
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

        var drafts = await db.JournalDrafts.AsNoTracking().Where(d => d.UserId == userId)
            .OrderBy(d => d.UpdatedAt)
            .ToListAsync(cancellationToken);
        var edited = drafts.Where(d => d.EntryId is not null).Select(d => d.EntryId!.Value).ToList();
        var entryUids = await db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId && edited.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.Uid, cancellationToken);
        await writer.WriteJsonAsync("journal/drafts.json", drafts.Select(d => new
        {
            // The entry a draft edits, by the id its Markdown file and entries.json carry; null for a new entry.
            entryId = d.EntryId is { } id ? entryUids.GetValueOrDefault(id) : null,
            kind = d.Kind.Slug(),
            date = d.LocalDate,
            week = d.Week,
            title = d.Title,
            body = d.Body,
            mood = d.Mood,
            energy = d.Energy,
            tags = d.Tags,
            updatedAt = d.UpdatedAt,
        }), cancellationToken);

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

using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>
/// What the editor holds but has not saved yet: one row per user and screen (a new entry of one kind, or the
/// edit of one entry), written as the person types so that a closed tab or a dead phone loses nothing.
/// Saving the entry or "Discard draft" deletes it; so does deleting the entry or the account (cascades).
/// Fields are kept as typed, valid or not: the rules run when the entry is saved.
/// </summary>
public class JournalDraft
{
    public required string UserId { get; set; }

    /// <summary><see cref="JournalDraftTarget.Key"/>: "new:morning-pages" or "entry:42".</summary>
    public required string Key { get; set; }

    /// <summary>The entry being edited; null for a new entry.</summary>
    public long? EntryId { get; set; }

    public JournalKind Kind { get; set; }
    public DateOnly? LocalDate { get; set; }
    public string? Week { get; set; }
    public string? Title { get; set; }
    public string Body { get; set; } = "";
    public int? Mood { get; set; }
    public int? Energy { get; set; }
    public string? Tags { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Which editor screen a draft belongs to: a new entry of <see cref="Kind"/>, or the edit of entry <see cref="EntryId"/>.</summary>
public readonly record struct JournalDraftTarget(JournalKind Kind, long? EntryId)
{
    public static JournalDraftTarget New(JournalKind kind) => new(kind, null);

    public static JournalDraftTarget Edit(JournalKind kind, long entryId) => new(kind, entryId);

    public string Key => EntryId is { } id ? $"entry:{id}" : $"new:{Kind.Slug()}";
}

/// <summary>A saved draft as the editor restores it; <see cref="UpdatedAt"/> is UTC.</summary>
public sealed record JournalDraftView(JournalKind Kind, long? EntryId, JournalEntryInput Input, DateTime UpdatedAt);

/// <summary>A draft in the list of unfinished ones: which screen, its title or start, when it was last typed in.</summary>
public sealed record JournalDraftSummary(JournalKind Kind, long? EntryId, string? Title, string Excerpt, int WordCount, DateTime UpdatedAt);

public enum JournalDraftSaveResult
{
    Saved,

    /// <summary>The draft is for an entry that is not one of the user's.</summary>
    NotFound,

    /// <summary>Longer than <see cref="JournalDraftService.MaxDraftLength"/>: nothing was written.</summary>
    TooLong,
}

/// <summary>Drafts of the journal editor: save as the person types, restore, discard, list. Every call is owner-filtered.</summary>
public sealed class JournalDraftService(LifeOsDbContext db, TimeProvider time)
{
    /// <summary>Title, body and tags together; twice what an entry may hold, so an over-long entry is still kept while it is cut down.</summary>
    public const int MaxDraftLength = 2 * JournalRules.MaxBodyLength;

    public async Task<JournalDraftView?> GetAsync(string userId, JournalDraftTarget target, CancellationToken cancellationToken = default)
    {
        var key = target.Key;
        var d = await db.JournalDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == userId && d.Key == key, cancellationToken);
        return d is null ? null : new JournalDraftView(d.Kind, d.EntryId, new JournalEntryInput(d.Kind, d.LocalDate, d.Week, d.Title, d.Body, d.Mood, d.Energy, d.Tags), d.UpdatedAt);
    }

    /// <summary>Writes (or replaces) the draft of one editor screen.</summary>
    public async Task<JournalDraftSaveResult> SaveAsync(string userId, JournalDraftTarget target, JournalEntryInput input, CancellationToken cancellationToken = default)
    {
        if ((input.Title?.Length ?? 0) + (input.Body?.Length ?? 0) + (input.Tags?.Length ?? 0) > MaxDraftLength)
        {
            return JournalDraftSaveResult.TooLong;
        }

        var kind = target.Kind;
        if (target.EntryId is { } entryId)
        {
            // Someone else's entry id is answered like a missing one; the draft takes the entry's own kind.
            var entryKind = await db.JournalEntries.AsNoTracking().Where(e => e.Id == entryId && e.UserId == userId)
                .Select(e => (JournalKind?)e.Kind).SingleOrDefaultAsync(cancellationToken);
            if (entryKind is null)
            {
                return JournalDraftSaveResult.NotFound;
            }

            kind = entryKind.Value;
        }

        var key = target.Key;
        var draft = await db.JournalDrafts.SingleOrDefaultAsync(d => d.UserId == userId && d.Key == key, cancellationToken);
        if (draft is null)
        {
            draft = new JournalDraft { UserId = userId, Key = key, EntryId = target.EntryId };
            db.JournalDrafts.Add(draft);
        }

        draft.Kind = kind;
        draft.LocalDate = input.LocalDate;
        draft.Week = input.Week is { Length: > 16 } week ? week[..16] : input.Week;
        draft.Title = input.Title;
        draft.Body = input.Body ?? "";
        draft.Mood = input.Mood;
        draft.Energy = input.Energy;
        draft.Tags = input.Tags;
        draft.UpdatedAt = time.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.Entry(draft).State == EntityState.Added)
        {
            // Another tab wrote the first draft of this screen a moment ago: this one replaces it.
            db.Entry(draft).State = EntityState.Modified;
            await db.SaveChangesAsync(cancellationToken);
        }

        return JournalDraftSaveResult.Saved;
    }

    /// <returns>False when there was no such draft.</returns>
    public async Task<bool> DiscardAsync(string userId, JournalDraftTarget target, CancellationToken cancellationToken = default)
    {
        var key = target.Key;
        return await db.JournalDrafts.Where(d => d.UserId == userId && d.Key == key).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>The user's unsaved drafts, most recent first.</summary>
    public async Task<IReadOnlyList<JournalDraftSummary>> ListAsync(string userId, int take = 10, CancellationToken cancellationToken = default)
    {
        var rows = await db.JournalDrafts.AsNoTracking().Where(d => d.UserId == userId)
            .OrderByDescending(d => d.UpdatedAt)
            .Take(take)
            .Select(d => new { d.Kind, d.EntryId, d.Title, d.Body, d.UpdatedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new JournalDraftSummary(
            r.Kind, r.EntryId, string.IsNullOrWhiteSpace(r.Title) ? null : r.Title.Trim(), JournalService.Excerpt(r.Body, 120), JournalRules.CountWords(r.Body), r.UpdatedAt)).ToList();
    }
}

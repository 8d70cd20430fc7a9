using System.Security.Claims;
using LifeOs.Core;
using LifeOs.Core.Api;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifeOs.Web.Api;

/// <param name="Kind">morning-pages, reflection, weekly-review or note.</param>
public sealed record JournalEntryResponse(
    long Id, string Kind, DateOnly Date, string? Week, string? Title, string Body, int? Mood, int? Energy,
    IReadOnlyList<string> Tags, int WordCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record JournalListEntry(
    long Id, string Kind, DateOnly Date, string? Week, string? Title, string Excerpt, int? Mood, int? Energy,
    IReadOnlyList<string> Tags, int WordCount, DateTimeOffset CreatedAt);

public sealed record JournalListResponse(IReadOnlyList<JournalListEntry> Items, int Total, int Page, int PageSize, int PageCount);

/// <param name="Kind">morning-pages, reflection, weekly-review or note (default note); fixed once the entry exists.</param>
/// <param name="Date">yyyy-MM-dd; default the user's today.</param>
/// <param name="Week">For a weekly review: an ISO week such as 2026-W48 (default the date's week).</param>
public sealed record JournalEntryWrite(string? Kind, string? Date, string? Week, string? Title, string? Body, int? Mood, int? Energy, IReadOnlyList<string>? Tags);

/// <summary>Journal entries: list and full-text search, get, create, update, delete.</summary>
public static class JournalApi
{
    public static RouteGroupBuilder MapJournalApi(this RouteGroupBuilder api)
    {
        var journal = api.MapGroup("/journal/entries").WithTags("Journal");
        journal.MapGet("/", ListAsync).WithName("ListJournalEntries").RequireScope(ApiScopes.JournalRead)
            .WithSummary("Entries, newest first, a page at a time; q searches the text (words, \"a phrase\", prefix*), kind, tag, mood, from and to filter.");
        journal.MapGet("/{id:long}", GetAsync).WithName("GetJournalEntry").RequireScope(ApiScopes.JournalRead)
            .WithSummary("One entry, with its Markdown body.");
        journal.MapPost("/", CreateAsync).WithName("CreateJournalEntry").RequireScope(ApiScopes.JournalWrite)
            .WithSummary("Write an entry (the same rules as the editor).");
        journal.MapPut("/{id:long}", UpdateAsync).WithName("UpdateJournalEntry").RequireScope(ApiScopes.JournalWrite)
            .WithSummary("Replace an entry's date, title, body, mood, energy and tags (its kind stays).");
        journal.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteJournalEntry").RequireScope(ApiScopes.JournalWrite)
            .WithSummary("Delete an entry.");
        return api;
    }

    private static async Task<Results<Ok<JournalListResponse>, ValidationProblem>> ListAsync(
        string? q, string? kind, string? tag, int? mood, string? from, string? to, int? page, int? pageSize,
        ClaimsPrincipal user, JournalService journal, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        JournalKind? kindFilter = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (ParseKind(kind) is { } k)
            {
                kindFilter = k;
            }
            else
            {
                errors["kind"] = KindHelp;
            }
        }

        if (!ApiEndpoints.TryDate(from, out var fromDate))
        {
            errors["from"] = "Give a date as yyyy-MM-dd.";
        }

        if (!ApiEndpoints.TryDate(to, out var toDate))
        {
            errors["to"] = "Give a date as yyyy-MM-dd.";
        }

        if (q?.Length > JournalQuery.MaxSearchLength)
        {
            errors["q"] = $"Keep the search under {JournalQuery.MaxSearchLength} characters.";
        }

        if (page is < 1)
        {
            errors["page"] = "Pages start at 1.";
        }

        if (pageSize is < 1 or > 100)
        {
            errors["pageSize"] = "Ask for 1 to 100 entries per page.";
        }

        if (mood is < 1 or > 5)
        {
            errors["mood"] = "Mood is from 1 to 5.";
        }

        if (errors.Count > 0)
        {
            return ApiEndpoints.Invalid(errors);
        }

        var userId = user.UserId();
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var result = await journal.ListAsync(userId, new JournalQuery(kindFilter, tag, mood, q, fromDate, toDate, page ?? 1, pageSize ?? JournalQuery.DefaultPageSize), cancellationToken);
        return TypedResults.Ok(new JournalListResponse(
            result.Items.Select(e => new JournalListEntry(e.Id, e.Kind.Slug(), e.LocalDate, e.Week, e.Title, e.Excerpt, e.Mood, e.Energy, e.Tags, e.WordCount, clock.At(e.CreatedAt))).ToList(),
            result.Total, result.Page, result.PageSize, result.PageCount));
    }

    private static async Task<Results<Ok<JournalEntryResponse>, ProblemHttpResult>> GetAsync(
        long id, ClaimsPrincipal user, JournalService journal, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var entry = await journal.GetAsync(userId, id, cancellationToken);
        if (entry is null)
        {
            return ApiEndpoints.NotFound($"No journal entry {id} of yours.");
        }

        return TypedResults.Ok(ToResponse(entry, await db.ClockAsync(userId, time, cancellationToken)));
    }

    private static async Task<Results<Created<JournalEntryResponse>, ValidationProblem>> CreateAsync(
        JournalEntryWrite body, ClaimsPrincipal user, JournalService journal, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var kind = JournalKind.Note;
        if (!string.IsNullOrWhiteSpace(body.Kind) && ParseKind(body.Kind) is not { } parsed)
        {
            return ApiEndpoints.Invalid("kind", KindHelp);
        }
        else if (!string.IsNullOrWhiteSpace(body.Kind))
        {
            kind = ParseKind(body.Kind)!.Value;
        }

        if (ToInput(body, kind, clock.Today) is not { } input)
        {
            return ApiEndpoints.Invalid("date", "Give a date as yyyy-MM-dd.");
        }

        var result = await journal.CreateAsync(userId, input, cancellationToken);
        if (!result.Succeeded)
        {
            return ApiEndpoints.Invalid(Fields(result.Errors));
        }

        var entry = (await journal.GetAsync(userId, result.Id!.Value, cancellationToken))!;
        return TypedResults.Created($"/api/v1/journal/entries/{entry.Id}", ToResponse(entry, clock));
    }

    private static async Task<Results<Ok<JournalEntryResponse>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        long id, JournalEntryWrite body, ClaimsPrincipal user, JournalService journal, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var existing = await journal.GetAsync(userId, id, cancellationToken);
        if (existing is null)
        {
            return ApiEndpoints.NotFound($"No journal entry {id} of yours.");
        }

        var clock = await db.ClockAsync(userId, time, cancellationToken);
        if (ToInput(body, existing.Kind, existing.LocalDate) is not { } input)
        {
            return ApiEndpoints.Invalid("date", "Give a date as yyyy-MM-dd.");
        }

        var result = await journal.UpdateAsync(userId, id, input, cancellationToken);
        if (result.NotFound)
        {
            return ApiEndpoints.NotFound($"No journal entry {id} of yours.");
        }

        if (!result.Succeeded)
        {
            return ApiEndpoints.Invalid(Fields(result.Errors));
        }

        return TypedResults.Ok(ToResponse((await journal.GetAsync(userId, id, cancellationToken))!, clock));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, JournalService journal, CancellationToken cancellationToken) =>
        await journal.DeleteAsync(user.UserId(), id, cancellationToken) ? TypedResults.NoContent() : ApiEndpoints.NotFound($"No journal entry {id} of yours.");

    private const string KindHelp = "Use morning-pages, reflection, weekly-review or note.";

    private static JournalKind? ParseKind(string text) =>
        JournalKinds.All.Cast<JournalKind?>().FirstOrDefault(k => string.Equals(k!.Value.Slug(), text.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(k.Value.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <returns>Null when the date is present but not a date.</returns>
    private static JournalEntryInput? ToInput(JournalEntryWrite body, JournalKind kind, DateOnly defaultDate) =>
        ApiEndpoints.TryDate(body.Date, out var date)
            ? new JournalEntryInput(kind, date ?? defaultDate, body.Week, body.Title, body.Body, body.Mood, body.Energy, body.Tags is null ? null : string.Join(',', body.Tags))
            : null;

    /// <summary>The editor's field names, as the API's JSON names them.</summary>
    private static Dictionary<string, string> Fields(IReadOnlyDictionary<string, string> errors) =>
        errors.ToDictionary(e => e.Key == JournalRules.DateField ? "date" : char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value);

    private static JournalEntryResponse ToResponse(JournalEntryView e, UserClock clock) =>
        new(e.Id, e.Kind.Slug(), e.LocalDate, e.Week, e.Title, e.Body, e.Mood, e.Energy, e.Tags, e.WordCount, clock.At(e.CreatedAt), clock.At(e.UpdatedAt));
}

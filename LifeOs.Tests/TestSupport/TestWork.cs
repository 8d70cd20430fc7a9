using LifeOs.Core.Data;
using LifeOs.Core.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LifeOs.Tests.TestSupport;

/// <summary>Background work for Core tests without a host: work is queued (and can be inspected) but nothing runs it.</summary>
public static class TestWork
{
    public static WorkQueue Queue(LifeOsDbContext db, TimeProvider time) =>
        new(db, new BackgroundWorker(null!, time, NullLogger<BackgroundWorker>.Instance), time);

    public static IOptions<WorkOptions> Options(int inlineRows = 20_000, int chunkRows = 20_000) =>
        Microsoft.Extensions.Options.Options.Create(new WorkOptions { InlineRows = inlineRows, ChunkRows = chunkRows });
}

using LifeOs.Core.Export;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Journal;

public static class JournalServiceCollectionExtensions
{
    public static IServiceCollection AddJournal(this IServiceCollection services) =>
        services
            .AddScoped<JournalService>()
            .AddScoped<JournalStreakService>()
            .AddScoped<JournalDraftService>()
            .AddScoped<JournalSettingsService>()
            .AddScoped<JournalArchive>()
            .AddScoped<WeeklyReviewPrefill>()
            .AddScoped<IWeeklyReviewFactsProvider, JournalWeekFactsProvider>()
            .AddScoped<IUserDataExporter, JournalUserDataExporter>();
}

using LifeOs.Core.Accounts;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        // The triggers (AddJournal migration) keep the FTS5 table JournalSearch in step; declaring them
        // stops EF from using RETURNING on this table, which SQLite does not combine well with triggers.
        builder.ToTable("JournalEntries", table =>
        {
            table.HasTrigger("JournalEntries_AfterInsert");
            table.HasTrigger("JournalEntries_AfterUpdate");
            table.HasTrigger("JournalEntries_AfterDelete");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Uid).HasMaxLength(64).IsRequired();
        builder.Property(e => e.UserId).IsRequired();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24).IsRequired();
        builder.Property(e => e.Week).HasMaxLength(8);
        builder.Property(e => e.Title).HasMaxLength(JournalRules.MaxTitleLength);
        builder.Property(e => e.Body).IsRequired();
        builder.Property(e => e.Tags).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(e => e.TagRows).WithOne().HasForeignKey(t => t.EntryId).OnDelete(DeleteBehavior.Cascade);
        // Import matches entries by this id; it must never repeat within one journal.
        builder.HasIndex(e => new { e.UserId, e.Uid }).IsUnique();
        // The list (newest first), the calendar, "on this day" and the overall streak.
        builder.HasIndex(e => new { e.UserId, e.LocalDate });
        // The kind filter, and covering for streaks (kind, day and reviewed week without reading bodies).
        builder.HasIndex(e => new { e.UserId, e.Kind, e.LocalDate, e.Week });
    }
}

internal sealed class JournalTagConfiguration : IEntityTypeConfiguration<JournalTag>
{
    public void Configure(EntityTypeBuilder<JournalTag> builder)
    {
        builder.ToTable("JournalTags");
        builder.HasKey(t => new { t.EntryId, t.Name });
        builder.Property(t => t.Name).HasMaxLength(JournalRules.MaxTagLength).IsRequired();
        builder.Property(t => t.UserId).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        // Tag filter and suggestions.
        builder.HasIndex(t => new { t.UserId, t.Name });
    }
}

internal sealed class JournalTemplateConfiguration : IEntityTypeConfiguration<JournalTemplate>
{
    public void Configure(EntityTypeBuilder<JournalTemplate> builder)
    {
        builder.ToTable("JournalTemplates");
        builder.HasKey(t => new { t.UserId, t.Kind });
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.Body).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JournalPreferencesConfiguration : IEntityTypeConfiguration<JournalPreferences>
{
    public void Configure(EntityTypeBuilder<JournalPreferences> builder)
    {
        builder.ToTable("JournalPreferences");
        builder.HasKey(p => p.UserId);
        builder.HasOne<ApplicationUser>().WithOne().HasForeignKey<JournalPreferences>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JournalDraftConfiguration : IEntityTypeConfiguration<JournalDraft>
{
    public void Configure(EntityTypeBuilder<JournalDraft> builder)
    {
        builder.ToTable("JournalDrafts");
        builder.HasKey(d => new { d.UserId, d.Key });
        builder.Property(d => d.Key).HasMaxLength(40);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(24).IsRequired();
        builder.Property(d => d.Week).HasMaxLength(16);
        builder.Property(d => d.Body).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        // An edit's draft goes with its entry.
        builder.HasOne<JournalEntry>().WithMany().HasForeignKey(d => d.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

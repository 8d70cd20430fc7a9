using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace LifeOs.Core.Data.Migrations.PostgreSQL
{
    /// <summary>Journal search on PostgreSQL: the text search configuration, then the generated tsvector column and its GIN index.</summary>
    public partial class JournalSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgresJournalSearchSql.CreateConfiguration);
            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "JournalEntries",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector('lifeos_search', regexp_replace(normalize(coalesce(\"Title\", ''), NFD), '[\\u0300-\\u036f]', '', 'g')), 'A') || setweight(to_tsvector('lifeos_search', regexp_replace(normalize(\"Tags\", NFD), '[\\u0300-\\u036f]', '', 'g')), 'B') || setweight(to_tsvector('lifeos_search', regexp_replace(normalize(\"Body\", NFD), '[\\u0300-\\u036f]', '', 'g')), 'C')",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_JournalEntries_SearchVector",
                table: "JournalEntries",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_JournalEntries_SearchVector",
                table: "JournalEntries");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "JournalEntries");

            migrationBuilder.Sql(PostgresJournalSearchSql.DropConfiguration);
        }
    }
}

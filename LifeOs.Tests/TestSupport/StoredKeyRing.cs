using Microsoft.Data.Sqlite;

namespace LifeOs.Tests.TestSupport;

/// <summary>The DataProtection key ring as a data directory's database holds it, read while no app has it open.</summary>
public static class StoredKeyRing
{
    /// <returns>The XML of every stored key and revocation, by friendly name.</returns>
    public static Dictionary<string, string> Read(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "FriendlyName", "Xml" FROM "DataProtectionKeys";""";
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            keys.Add(reader.GetString(0), reader.GetString(1));
        }

        return keys;
    }

    /// <summary>Loses the key ring, as a database copied without it would.</summary>
    public static void Clear(string dataDirectory)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = """DELETE FROM "DataProtectionKeys";""";
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "lifeos.db")};Pooling=False");
        connection.Open();
        return connection;
    }
}

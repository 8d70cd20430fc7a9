using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: <c>initdb</c> into a temporary directory, started on a free loopback
/// port with durability off (fsync, synchronous commit), stopped when the test process exits. Debian's
/// <c>postgresql</c> package provides the binaries (test.sh installs it). <c>LIFEOS_TEST_POSTGRES</c> names an existing
/// server instead (a connection string whose user may create databases).
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string, without a database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A new, empty database of its own for one test; its connection string.</summary>
    public static string CreateDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Settings that put a <see cref="LifeOsAppFactory"/> on a new PostgreSQL database of its own, with a Quartz cluster
    /// named after it (Quartz allows one scheduler per name in a process).
    /// </summary>
    public static Dictionary<string, string?> AppSettings(Dictionary<string, string?>? more = null)
    {
        var connectionString = CreateDatabase();
        var settings = new Dictionary<string, string?>(more ?? [])
        {
            ["LifeOs:Database:Provider"] = "PostgreSQL",
            ["LifeOs:Database:ConnectionString"] = connectionString,
            ["Sync:SchedulerName"] = new NpgsqlConnectionStringBuilder(connectionString).Database,
        };
        return settings;
    }

    /// <summary>Context options as the app builds them on PostgreSQL, for a database made by <see cref="CreateDatabase"/>.</summary>
    public static DbContextOptions<PostgresLifeOsDbContext> Options(string connectionString) =>
        PostgresDesignTimeDbContextFactory.Options(connectionString);

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("LIFEOS_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL's server binaries were not found under /usr/lib/postgresql/<version>/bin. Run ./test.sh (it installs Debian's postgresql), or set LIFEOS_TEST_POSTGRES to a connection string.");
        }

        // PostgreSQL refuses to run as root; as root the cluster belongs to the package's postgres user.
        var asRoot = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), $"lifeos-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(directory);
        if (asRoot)
        {
            Run("chown", ["postgres:postgres", directory], asUser: null);
        }

        var data = Path.Combine(directory, "data");
        var port = FreePort();
        var user = asRoot ? "postgres" : null;
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "lifeos", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], user);
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start"], user);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], user);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception)
            {
                // The temporary directory is left behind; nothing else depends on it.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=lifeos;Database=postgres;Include Error Detail=true";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, IReadOnlyList<string> arguments, string? asUser)
    {
        var start = asUser is null ? new ProcessStartInfo(file) : new ProcessStartInfo("runuser", ["-u", asUser, "--", file]);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {error} {output.Result}");
        }
    }
}

using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Web.Hardening;

public sealed class DataAtRestTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDatabase_AndBackups_AreForTheAppsUserOnly_EvenWhenAnOlderInstallLeftThemOpen()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var dataDirectory = TempDirectory.Create("lifeos-at-rest");
        try
        {
            await using (var first = new LifeOsAppFactory(dataDirectory: dataDirectory))
            {
                using var client = first.CreateTestClient();
                await client.RegisterAsync("private@example.com");
            }

            // What an install from before this change, or a careless restore, leaves behind.
            File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
            foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
            }

            await using var second = new LifeOsAppFactory(dataDirectory: dataDirectory);
            using var again = second.CreateTestClient();
            await again.LoginAsync("private@example.com");

            foreach (var directory in new[] { dataDirectory, Path.Combine(dataDirectory, "backups") })
            {
                Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
            }

            // The key ring is in lifeos.db.
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(dataDirectory, "lifeos.db")));
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }
}

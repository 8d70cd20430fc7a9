using System.Reflection;
using System.Text.RegularExpressions;
using LifeOs.Core;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace LifeOs.Tests.Web;

/// <summary>
/// Docker does not run here, so the several-instance example (docs/deploy) is checked for what it must say: two LifeOs
/// instances on one PostgreSQL with settings LifeOs really reads, nothing shared for keys, and nginx passing WebSocket
/// upgrades to both instances with sticky sessions.
/// </summary>
public sealed partial class DeploymentExampleTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "docs", "deploy");

    /// <summary>The compose file with its anchors and merge keys resolved, as nested dictionaries, lists and strings.</summary>
    private static Dictionary<object, object> Compose()
    {
        using var reader = new StreamReader(Path.Combine(Folder, "docker-compose.yml"));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static Dictionary<string, Dictionary<object, object>> Services(Dictionary<object, object> compose) =>
        Map(compose["services"]).ToDictionary(s => (string)s.Key, s => Map(s.Value));

    /// <summary>The services built from this repository: the LifeOs instances.</summary>
    private static Dictionary<string, Dictionary<object, object>> Instances(Dictionary<object, object> compose) =>
        Services(compose).Where(s => s.Value.ContainsKey("build")).ToDictionary();

    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        Map(service["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value);

    [Fact]
    public void Compose_RunsTwoLifeOsInstances_OnOnePostgreSql16()
    {
        var compose = Compose();
        var postgres = Services(compose)["postgres"];
        Assert.StartsWith("postgres:16", (string)postgres["image"], StringComparison.Ordinal);
        var database = Map(postgres["environment"]);

        var instances = Instances(compose);
        Assert.Equal(2, instances.Count);
        foreach (var (name, instance) in instances)
        {
            Assert.Equal("../..", Map(instance["build"])["context"]);
            Assert.True(File.Exists(Path.Combine(Folder, "../..", "Dockerfile")));
            var environment = Environment(instance);
            Assert.Equal("PostgreSQL", environment["LifeOs__Database__Provider"]);
            var connection = environment["LifeOs__Database__ConnectionString"];
            Assert.Contains("Host=postgres;", connection, StringComparison.Ordinal);
            Assert.Contains($"Database={database["POSTGRES_DB"]};", connection, StringComparison.Ordinal);
            Assert.Contains($"Username={database["POSTGRES_USER"]};", connection, StringComparison.Ordinal);
            Assert.StartsWith("${", environment["LifeOs__PublicBaseUrl"], StringComparison.Ordinal);
            Assert.Equal("true", environment["Sync__SharedWithingsLimit"]);
            Assert.True(Map(instance["depends_on"]).Count > 0, $"{name} starts in no order");
        }
    }

    [Fact]
    public void Compose_SetsOnlySettingsLifeOsReads()
    {
        var sections = new Dictionary<string, Type>
        {
            [LifeOsOptions.SectionName] = typeof(LifeOsOptions),
            [SyncOptions.SectionName] = typeof(SyncOptions),
            [ProvidersOptions.SectionName] = typeof(ProvidersOptions),
        };
        foreach (var key in Instances(Compose()).Values.SelectMany(i => Environment(i).Keys))
        {
            var path = key.Split("__");
            Assert.True(sections.TryGetValue(path[0], out var type), $"{key}: no section {path[0]}");
            foreach (var name in path[1..])
            {
                type = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.PropertyType;
                Assert.True(type is not null, $"{key}: LifeOs reads no setting {name} there");
            }
        }
    }

    [Fact]
    public void Compose_SharesNoKeyFolder_AndTrustsOnlyItsOwnNetwork()
    {
        var compose = Compose();
        foreach (var instance in Instances(compose).Values)
        {
            // The key ring is in the database: no volume holds keys/ or the whole data directory.
            var targets = ((List<object>)instance["volumes"]).Select(v => ((string)v).Split(':')[1]).ToList();
            Assert.DoesNotContain(targets, t => t is "/data" or "/data/keys");
            Assert.Equal(new[] { "/data/imports" }, targets);

            var subnet = Map(Assert.Single((List<object>)Map(Map(Map(compose["networks"])["lifeos"])["ipam"])["config"]))["subnet"];
            Assert.Equal(subnet, Environment(instance)["LifeOs__TrustedProxies"]);
        }
    }

    [Fact]
    public void Nginx_PassesWebSocketUpgrades_ToBothInstances_WithStickySessions()
    {
        var compose = Compose();
        var nginx = Services(compose)["nginx"];
        Assert.Contains("./nginx.conf:/etc/nginx/conf.d/default.conf:ro", ((List<object>)nginx["volumes"]).Cast<string>());
        var config = File.ReadAllText(Path.Combine(Folder, "nginx.conf"));

        var upstream = Upstream().Match(config);
        Assert.True(upstream.Success, "no upstream block");
        Assert.Equal(Instances(compose).Keys.Order(), UpstreamServer().Matches(upstream.Value).Select(m => m.Groups[1].Value).Order());
        Assert.Matches(@"\n\s*(ip_hash;|hash \$\w+ consistent;)", upstream.Value);

        Assert.Contains("proxy_pass         http://lifeos;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_http_version 1.1;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header   Upgrade $http_upgrade;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header   Connection $connection_upgrade;", config, StringComparison.Ordinal);
        Assert.Matches(@"map \$http_upgrade \$connection_upgrade \{\s*default\s+upgrade;\s*''\s+close;\s*\}", config);
        Assert.Contains("proxy_set_header   X-Forwarded-Proto $scheme;", config, StringComparison.Ordinal);
        Assert.Matches(@"proxy_read_timeout\s+\d{4,}s;", config);
    }

    [GeneratedRegex(@"upstream lifeos \{[^}]*\}")]
    private static partial Regex Upstream();

    [GeneratedRegex(@"server ([\w-]+):8080")]
    private static partial Regex UpstreamServer();
}

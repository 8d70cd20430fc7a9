namespace LifeOs.Core.Connections;

/// <summary>Told before a connection is removed (disconnect, account deletion), while its tokens still work.</summary>
public interface IConnectionLifecycle
{
    Task DisconnectingAsync(Connection connection, CancellationToken cancellationToken);
}

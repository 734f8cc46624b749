namespace Crm.Tests.Infrastructure;

/// <summary>
/// One <typeparamref name="T"/> per server process, made on first use and shared by a test class's tests on that server
/// (a team of users costs password hashing and sign-ins; each test opens its own customers).
/// </summary>
public sealed class PerServer<T>(Func<ServerProcess, Task<T>> create)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<ServerProcess, T> _made = [];

    public async Task<T> ForAsync(ServerProcess server)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_made.TryGetValue(server, out var value))
            {
                _made[server] = value = await create(server);
            }

            return value;
        }
        finally
        {
            _lock.Release();
        }
    }
}

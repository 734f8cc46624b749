using Crm.Client;
using Crm.Grains.Push;
using Orleans.Concurrency;

namespace Crm.Grains.Leaderboards;

/// <summary>
/// Coalesces the changes of one board: the first change after a quiet window is pushed at once; changes inside the
/// window are collected and pushed together when it ends, so a busy board costs its watchers one refetch per second at
/// most, and the last change is always followed by a push. Reentrant, so changes keep arriving while a window waits
/// (on the injected clock). Nothing is stored: a lost hint only means a watcher refetches a little later.
/// </summary>
[Reentrant]
public sealed class LeaderboardGrain(TimeProvider clock) : Grain, ILeaderboardGrain
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly SortedSet<string> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    private bool _waiting;

    public Task<IReadOnlyList<string>> Pending() => Task.FromResult<IReadOnlyList<string>>(_pending.ToList());

    public async Task Touched(IReadOnlyList<string> metrics)
    {
        _pending.UnionWith(metrics);
        if (_waiting)
        {
            return;
        }

        var wait = _lastPush == DateTimeOffset.MinValue ? TimeSpan.Zero : _lastPush + Window - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            _waiting = true;
            try
            {
                await Task.Delay(wait, clock);
            }
            finally
            {
                _waiting = false;
            }
        }

        _lastPush = clock.GetUtcNow();
        var board = this.GetPrimaryKeyString();
        var changed = _pending.ToList();
        _pending.Clear();
        EventPublisher.Publish(GrainFactory, new LeaderboardChanged(board, changed, _lastPush), [LeaderboardBoards.Channel(board)]);
    }
}

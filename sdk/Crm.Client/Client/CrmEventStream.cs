using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Client;

/// <summary>
/// The live events of <c>/hubs/reps</c> as typed .NET events. A rep receives events about its own customers, a
/// manager about its org unit's. Reconnects automatically; <see cref="Received"/> sees every event about a customer.
/// Started with a last seen id (<see cref="StartAsync(long, CancellationToken)"/>), it also catches up on what the
/// user missed while away, at start and after every reconnect: each stored event is raised once, in id order, with
/// no gap between the catch-up and the live events (<see cref="LastSeenId"/> is what to keep for next time).
/// </summary>
public sealed partial class CrmEventStream : IAsyncDisposable
{
    public const string HubPath = "/hubs/reps";

    /// <summary>A stream for the server at <paramref name="baseAddress"/>; call <see cref="StartAsync"/> to connect.</summary>
    /// <param name="baseAddress">The server's address.</param>
    /// <param name="accessToken">Supplies the bearer token (sent as <c>access_token</c>, as SignalR clients do).</param>
    /// <param name="configure">Optional extra connection settings (logging, transports).</param>
    public CrmEventStream(Uri baseAddress, Func<Task<string?>> accessToken, Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, HubPath), o => o.AccessTokenProvider = accessToken)
            .AddJsonProtocol(o => CrmJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect();
        configure?.Invoke(builder);
        Connection = builder.Build();
        On<CustomerAssigned>(e => CustomerAssigned?.Invoke(e));
        On<CustomerClaimed>(e => CustomerClaimed?.Invoke(e));
        On<CustomerReleased>(e => CustomerReleased?.Invoke(e));
        On<CustomerRecycled>(e => CustomerRecycled?.Invoke(e));
        On<RecycleWarning>(e => RecycleWarning?.Invoke(e));
        On<FollowUpAdded>(e => FollowUpAdded?.Invoke(e));
        On<StageChanged>(e => StageChanged?.Invoke(e));
        On<CustomerEdited>(e => CustomerEdited?.Invoke(e));
        On<DuplicateFlagged>(e => DuplicateFlagged?.Invoke(e));
        On<NoteAdded>(e => NoteAdded?.Invoke(e));
        On<LeadUnassigned>(e => LeadUnassigned?.Invoke(e));
        On<CollusionSuspected>(e => CollusionSuspected?.Invoke(e));
        On<ImportProgress>(e => ImportProgress?.Invoke(e));
        On<DealCreated>(e => DealCreated?.Invoke(e));
        On<DealStageChanged>(e => DealStageChanged?.Invoke(e));
        On<DealWon>(e => DealWon?.Invoke(e));
        On<DealLost>(e => DealLost?.Invoke(e));
        On<TaskAssigned>(e => TaskAssigned?.Invoke(e));
        On<TaskDue>(e => TaskDue?.Invoke(e));
        On<TaskOverdue>(e => TaskOverdue?.Invoke(e));
        On<DailyReportReady>(e => DailyReportReady?.Invoke(e));
        On<DailyReportReplied>(e => DailyReportReplied?.Invoke(e));
        On<PaymentReceived>(e => PaymentReceived?.Invoke(e));
        On<PaymentOverdue>(e => PaymentOverdue?.Invoke(e));
        On<LeaderboardChanged>(e => LeaderboardChanged?.Invoke(e));
        On<RepurchaseDue>(e => RepurchaseDue?.Invoke(e));
        _eventNames.Add(nameof(Notification));
        Connection.On<Notification>(nameof(Notification), OnNotification);
        Connection.Reconnected += _ => _resuming ? CatchUpAsync(CancellationToken.None) : Task.CompletedTask;
    }

    public event Action<CustomerAssigned>? CustomerAssigned;

    public event Action<CustomerClaimed>? CustomerClaimed;

    public event Action<CustomerReleased>? CustomerReleased;

    public event Action<CustomerRecycled>? CustomerRecycled;

    public event Action<RecycleWarning>? RecycleWarning;

    public event Action<FollowUpAdded>? FollowUpAdded;

    public event Action<StageChanged>? StageChanged;

    public event Action<CustomerEdited>? CustomerEdited;

    public event Action<DuplicateFlagged>? DuplicateFlagged;

    public event Action<NoteAdded>? NoteAdded;

    /// <summary>To managers of the pool's org unit: automatic assignment found no rep for a lead.</summary>
    public event Action<LeadUnassigned>? LeadUnassigned;

    /// <summary>To managers of the pool's org unit: a release/claim pattern between two reps looks like collusion.</summary>
    public event Action<CollusionSuspected>? CollusionSuspected;

    /// <summary>To the importing user: how far a big import has come (not about one customer, so not in <see cref="Received"/>).</summary>
    public event Action<ImportProgress>? ImportProgress;

    public event Action<DealCreated>? DealCreated;

    public event Action<DealStageChanged>? DealStageChanged;

    /// <summary>To the deal's rep and every manager over the rep's unit: a deal was won.</summary>
    public event Action<DealWon>? DealWon;

    public event Action<DealLost>? DealLost;

    /// <summary>A task was given to this rep (not about one customer, so not in <see cref="Received"/>).</summary>
    public event Action<TaskAssigned>? TaskAssigned;

    /// <summary>This rep's items of a task are due today.</summary>
    public event Action<TaskDue>? TaskDue;

    /// <summary>This rep's items of a task are past their due time (managers who gave it get it too).</summary>
    public event Action<TaskOverdue>? TaskOverdue;

    /// <summary>A daily report of this rep (or, to managers, of a rep below them) was generated.</summary>
    public event Action<DailyReportReady>? DailyReportReady;

    /// <summary>A manager replied on this rep's daily report.</summary>
    public event Action<DailyReportReplied>? DailyReportReplied;

    /// <summary>To the contract's rep, the customer's owner and its unit's managers: money arrived on a contract (negative: a refund).</summary>
    public event Action<PaymentReceived>? PaymentReceived;

    /// <summary>To the contract's rep, the customer's owner and its unit's managers: an instalment's due date passed unpaid.</summary>
    public event Action<PaymentOverdue>? PaymentOverdue;

    /// <summary>To connections watching a leaderboard: its figures moved (at most once a second per board).</summary>
    public event Action<LeaderboardChanged>? LeaderboardChanged;

    /// <summary>This rep's customers due to buy again or at risk of churning, each working morning (docs/reports.md).</summary>
    public event Action<RepurchaseDue>? RepurchaseDue;

    /// <summary>
    /// Every event of the message center, numbered, before its typed event; only in resume mode
    /// (<see cref="StartAsync(long, CancellationToken)"/>), where each is raised once and in order.
    /// </summary>
    public event Action<Notification>? Notification;

    /// <summary>Every event about a customer (<see cref="ICrmEvent"/>), after its typed event.</summary>
    public event Action<ICrmEvent>? Received;

    /// <summary>The hub method names this stream listens to, one per typed event.</summary>
    public IReadOnlyCollection<string> EventNames => _eventNames;

    /// <summary>The underlying SignalR connection (state, reconnect events, custom handlers).</summary>
    public HubConnection Connection { get; }

    public HubConnectionState State => Connection.State;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Connection.StartAsync(cancellationToken);
        // Completes only after the server subscribed this connection to its channels: no event is missed after StartAsync.
        await Connection.InvokeAsync<string[]>("Channels", cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => Connection.StopAsync(cancellationToken);

    /// <summary>
    /// Starts hearing <see cref="LeaderboardChanged"/> for the board of an org unit (null: the company's, admins only);
    /// false when the caller may not see that board.
    /// </summary>
    public Task<bool> WatchLeaderboardAsync(string? scopeId, CancellationToken cancellationToken = default) =>
        Connection.InvokeAsync<bool>("WatchLeaderboard", scopeId, cancellationToken);

    public Task UnwatchLeaderboardAsync(string? scopeId, CancellationToken cancellationToken = default) =>
        Connection.InvokeAsync("UnwatchLeaderboard", scopeId, cancellationToken);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private readonly List<string> _eventNames = [];

    // The hub method name is the event record's type name (API.md).
    private void On<T>(Action<T> raise)
        where T : ICrmPushEvent
    {
        _eventNames.Add(typeof(T).Name);
        void Raise(T e)
        {
            raise(e);
            if (e is ICrmEvent about)
            {
                Received?.Invoke(about);
            }
        }

        _raisers[typeof(T).Name] = data => Raise(data.Deserialize<T>(CrmJson.Options)!);
        Connection.On<T>(typeof(T).Name, e =>
        {
            // Once resumed, events come numbered; a plain copy that slips in around a reconnect is also stored, so
            // the catch-up brings it, in its place.
            if (!_resuming)
            {
                Raise(e);
            }
        });
    }
}

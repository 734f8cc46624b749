namespace Crm.Client;

/// <summary>
/// Pushed to a rep on each working morning of its unit when some of its customers are due to buy again
/// (<c>repurchase-due</c>) or at risk of churning (<c>churn-risk</c>), judged from their own buying rhythm; the same list
/// as <c>GET /api/reps/{id}/repurchase</c> that morning. Kept in the rep's message center.
/// </summary>
public sealed record RepurchaseDue(string RepId, DateTimeOffset At, DateOnly Day, IReadOnlyList<RepurchaseItemDto> Customers) : ICrmPushEvent;

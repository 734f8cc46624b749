using Crm.Grains.Common;

namespace Crm.Grains.Deals;

/// <summary>
/// The deal commands of a customer (key: customer id), implemented by the customer grain: a deal's changes are events
/// on its customer's log, and the customer grain is that log's single writer. Only the customer's owner, or a manager
/// above it, works its deals.
/// </summary>
public interface ICustomerDeals : IGrainWithGuidKey
{
    /// <summary>Opens a deal; moves a lead (or a lost customer) to opportunity in the same commit.</summary>
    Task<Result<DealRecord>> OpenDeal(NewDeal deal, Actor actor);

    Task<Result<DealRecord>> MoveDeal(string dealId, string stageKey, string? reason, int? probability, Actor actor);

    /// <summary>Wins a deal (optionally at another amount or an earlier time); the first won deal makes the customer a customer.</summary>
    Task<Result<DealRecord>> WinDeal(string dealId, decimal? amount, DateTimeOffset? wonAt, Actor actor);

    Task<Result<DealRecord>> LoseDeal(string dealId, string reason, string? competitor, string? note, Actor actor);

    Task<Result<DealRecord>> RecordAttempt(string dealId, string kind, string outcome, string? reason, Actor actor);

    /// <summary>A deal of this customer, if the caller reaches the customer.</summary>
    Task<Result<DealRecord>> GetDeal(string dealId, Actor actor);
}

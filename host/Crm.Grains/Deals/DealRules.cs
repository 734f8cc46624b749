using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.Deals;

/// <summary>The rules of deals, without a silo: stages against the pipeline, probabilities, and how the customer's stage follows.</summary>
public static class DealRules
{
    public static CrmError? CheckStage(Pipeline pipeline, string stageKey, string field = "stageKey") =>
        pipeline.Stage(stageKey) is null
            ? CrmError.Invalid(field, $"Stage '{stageKey}' is not in pipeline '{pipeline.Id}'; its stages: {string.Join(", ", pipeline.Stages.Select(s => s.Key))}.")
            : null;

    /// <summary>The probability a deal gets at a stage: the rep's own estimate if given, else the stage's default.</summary>
    public static int Probability(PipelineStage stage, int? stated) => stated ?? stage.Probability;

    public static CrmError? CheckOpen(DealRecord deal) => deal.Status == DealStatus.Open
        ? null
        : CrmError.Conflict(ErrorCodes.DealClosed, $"Deal '{deal.Id}' is already {DealStatusNames.Of(deal.Status)}.", new() { ["dealId"] = deal.Id });

    /// <summary>A deal may not be opened on junk: an invalid customer must be brought back to lead first.</summary>
    public static CrmError? CheckCustomer(CustomerStage stage) => stage == CustomerStage.Invalid
        ? CrmError.Conflict(ErrorCodes.CustomerInvalid, "The customer is marked invalid; move it back to lead before opening a deal.")
        : null;

    /// <summary>A lead (or a lost customer) with an open deal is an opportunity.</summary>
    public static CustomerStage? StageAfterOpen(CustomerStage current) =>
        current is CustomerStage.Lead or CustomerStage.Lost ? CustomerStage.Opportunity : null;

    /// <summary>The first won deal makes a customer (DOMAIN.md: a first purchase, not a signed contract alone).</summary>
    public static CustomerStage? StageAfterWin(CustomerStage current) => current == CustomerStage.Customer ? null : CustomerStage.Customer;

    /// <summary>A new deal's id: short, unique, readable in URLs.</summary>
    public static string NewId() => "d-" + Guid.NewGuid().ToString("N")[..20];
}

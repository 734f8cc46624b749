using Crm.Sdk;

namespace Crm.Server.Api.Plugins;

/// <summary>Body of a dedup strategy trial: an incoming customer and a stored one to compare it with.</summary>
public sealed record DedupTrialRequest(CustomerSnapshot? Incoming, CustomerSnapshot? Existing);

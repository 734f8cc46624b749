using Crm.Client;

namespace Crm.Server.Api.Deals;

/// <summary>Attempt kinds and outcomes as events and the read model spell them (the wire enums are mapped here, never stored).</summary>
public static class AttemptNames
{
    public static string Kind(AttemptKind kind) => kind.ToString().ToLowerInvariant();

    public static string Outcome(AttemptOutcome outcome) => outcome == AttemptOutcome.NoAnswer ? "no-answer" : outcome.ToString().ToLowerInvariant();
}

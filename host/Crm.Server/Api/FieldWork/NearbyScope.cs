namespace Crm.Server.Api.FieldWork;

/// <summary>Which customers "near me" lists, always within what the caller may see.</summary>
public enum NearbyScope
{
    /// <summary>Everything the caller may see.</summary>
    All,

    /// <summary>The caller's own customers.</summary>
    Mine,

    /// <summary>Unowned customers of the public pools the caller may claim from (or, for a manager, of its subtree).</summary>
    Public,

    /// <summary>Owned customers: a manager's team's; a rep sees only its own.</summary>
    Team,
}

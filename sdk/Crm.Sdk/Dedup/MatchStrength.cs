namespace Crm.Sdk;

/// <summary>How sure a dedup match is; pools choose an action (block, merge, flag) per strength.</summary>
public enum MatchStrength
{
    /// <summary>Possibly the same (e.g. similar names in the same city): worth a review.</summary>
    Weak = 1,

    /// <summary>Very likely the same (e.g. same phone, similar name).</summary>
    Strong = 2,

    /// <summary>Certainly the same (e.g. same tax id).</summary>
    Exact = 3,
}

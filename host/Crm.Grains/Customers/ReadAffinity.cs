namespace Crm.Grains.Customers;

/// <summary>
/// Moves a customer grain to the silo its reads come through. A rep's app keeps talking to one silo (the load
/// balancer's sticky session), so a customer read mostly by its owner is read through one silo; while its grain lives on
/// another, every read is a remote call that costs several times a local one. When the last <see cref="Streak"/> reads
/// all came through the same other silo, the grain should move there. Reads spread over silos (no sticky sessions) never
/// make such a streak in practice (1 in 2^16 per window with two silos), so a grain does not bounce between silos.
/// </summary>
public sealed class ReadAffinity
{
    /// <summary>The request-context key under which the API names the silo a read came through.</summary>
    public const string OriginKey = "crm-read-origin";

    public const int Streak = 16;

    private SiloAddress? _origin;
    private int _count;

    /// <summary>Counts one read; answers the silo to move to when the streak is complete, else null.</summary>
    public SiloAddress? Observe(SiloAddress? origin, SiloAddress here)
    {
        if (origin is null || origin.Equals(here))
        {
            _origin = null;
            _count = 0;
            return null;
        }

        _count = origin.Equals(_origin) ? _count + 1 : 1;
        _origin = origin;
        if (_count < Streak)
        {
            return null;
        }

        _count = 0;
        return origin;
    }
}

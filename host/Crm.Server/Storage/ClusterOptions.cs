using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Crm.Server.Storage;

/// <summary>
/// <c>Crm:Cluster</c>: how this silo joins its cluster. Several silos on one machine need different ports; silos on
/// several machines advertise an address the others reach and may encrypt their traffic (<see cref="Tls"/>).
/// </summary>
public sealed class CrmClusterOptions : IValidatableObject
{
    public const string Section = "Crm:Cluster";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    [Required]
    public string ClusterId { get; set; } = "crm";

    [Required]
    public string ServiceId { get; set; } = "crm";

    /// <summary>The IP address other silos reach this one at (cluster profile); the loopback address keeps a cluster on one machine.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The IP address the silo and gateway ports bind to; null binds to <see cref="AdvertisedAddress"/>, <c>0.0.0.0</c> to every address.</summary>
    public string? ListenAddress { get; set; }

    /// <summary>
    /// How many grains' addresses a silo keeps in its grain-directory cache (Orleans' default is 1,000,000: an entry,
    /// about half a kilobyte, for every grain it activated or called, which at a million resident customers is half a
    /// gigabyte). A grain whose address fell out is looked up in the directory again on its next call (a remote call
    /// when its directory partition is on another silo); 0 turns the cache off.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int DirectoryCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How often a silo reads its share of the reminder table again, in minutes (Orleans' default is 5). Each read is
    /// every reminder of its range, about one per rep who owns customers (13 ms of CPU for 10,000 rows, docs/scale.md).
    /// The read is a safety net: a reminder registered or changed reaches its silo at once, a silo that starts reads its
    /// range and a silo that joins or leaves (or dies) makes the others read their new ranges. What only this read does:
    /// load a reminder whose tick was further away than the loading window (two reads, so it is in memory at least one
    /// read before its tick), and pick up a registration that reached a silo as it was losing the range, which may then
    /// fire up to this long late. Recycle rules count in days and a rep grain's own timer does the recycling while it is
    /// active, so a quarter of a day by default; lower it for reminders that must keep minutes after such a race.
    /// </summary>
    [Range(1, 1440)]
    public int ReminderRefreshMinutes { get; set; } = 360;

    /// <summary>TLS between silos (and to the gateway), mutual: every silo shows the cluster's certificate.</summary>
    public ClusterTlsOptions Tls { get; set; } = new();

    public IPAddress Advertised => IPAddress.Parse(AdvertisedAddress);

    public IPAddress Listen => ListenAddress is { } listen ? IPAddress.Parse(listen) : Advertised;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out var advertised) || advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any))
        {
            yield return new ValidationResult("Crm:Cluster:AdvertisedAddress must be an IP address other silos can reach (not 0.0.0.0).", [nameof(AdvertisedAddress)]);
        }

        if (ListenAddress is not null && !IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult("Crm:Cluster:ListenAddress must be an IP address (0.0.0.0 for every address), or left out.", [nameof(ListenAddress)]);
        }

        foreach (var problem in Tls.Problems())
        {
            yield return new ValidationResult(problem, [nameof(Tls)]);
        }
    }
}

/// <summary>
/// <c>Crm:Cluster:Tls</c>. Every silo loads the same cluster certificate (a PKCS#12 file) and accepts a peer only if
/// it shows that certificate or one whose thumbprint is listed in <see cref="AllowedThumbprints"/> (to roll a new one in).
/// </summary>
public sealed class ClusterTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>The cluster certificate with its private key (.pfx / .p12).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>More certificates peers may show (SHA-1 thumbprints, hex), besides this silo's own.</summary>
    public List<string> AllowedThumbprints { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            yield return "Crm:Cluster:Tls:CertificatePath is required when Crm:Cluster:Tls:Enabled is true.";
        }
        else if (!File.Exists(CertificatePath))
        {
            yield return $"Crm:Cluster:Tls:CertificatePath '{CertificatePath}' does not exist.";
        }

        foreach (var thumbprint in AllowedThumbprints.Where(t => t.Length != 40 || !t.All(Uri.IsHexDigit)))
        {
            yield return $"Crm:Cluster:Tls:AllowedThumbprints: '{thumbprint}' is not a 40-digit hex thumbprint.";
        }
    }
}

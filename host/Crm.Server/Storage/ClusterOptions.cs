using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Storage;

/// <summary><c>Crm:Cluster</c>: how this silo joins its cluster. Several silos on one machine need different ports.</summary>
public sealed class CrmClusterOptions
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
}

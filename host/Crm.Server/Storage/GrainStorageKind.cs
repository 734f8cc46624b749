namespace Crm.Server.Storage;

/// <summary><c>Crm:Storage:GrainStorage</c>: which provider stores grain state (both use the same table).</summary>
public enum GrainStorageKind
{
    /// <summary>Many grain writes per transaction through one writer, off the Orleans scheduler (the default).</summary>
    GroupCommit,

    /// <summary>Orleans' ADO.NET provider: one transaction per grain write.</summary>
    AdoNet,
}

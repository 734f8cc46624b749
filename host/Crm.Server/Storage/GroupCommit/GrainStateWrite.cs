namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// One grain-state change for the group-commit writer: store <see cref="Payload"/> (or clear it when null)
/// if the row's version is still <see cref="ExpectedVersion"/> (null: the row must not exist yet).
/// </summary>
public sealed record GrainStateWrite(GrainRowKey Key, int? ExpectedVersion, byte[]? Payload);

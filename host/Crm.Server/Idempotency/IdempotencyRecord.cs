namespace Crm.Server.Idempotency;

/// <summary>A key as stored: whose, for which request (a hash), held by which process since when, and the answer once there is one.</summary>
public sealed class IdempotencyRecord
{
    public string CallerId { get; set; } = "";

    public string Key { get; set; } = "";

    public string RequestHash { get; set; } = "";

    /// <summary>The process that holds (or held) the key while the request runs.</summary>
    public string Owner { get; set; } = "";

    public long StartedMs { get; set; }

    public int? Status { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }

    public bool Completed => Status is not null;
}

/// <summary>The answer to replay.</summary>
public sealed record StoredAnswer(int Status, string? ContentType, string? Location, byte[] Body);

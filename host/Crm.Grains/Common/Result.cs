namespace Crm.Grains.Common;

/// <summary>The answer of a grain command: a value, or the error that refused it.</summary>
[GenerateSerializer, Immutable]
public sealed record Result<T>(T? Value, CrmError? Error)
{
    public bool Ok => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(CrmError error) => new(default, error);

    /// <summary>The same answer with its value mapped (the API edge maps grain types to wire types).</summary>
    public Result<TOut> Map<TOut>(Func<T, TOut> map) => Error is null ? new(map(Value!), null) : new(default, Error);
}

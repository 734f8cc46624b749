namespace Crm.Benchmarks.Common;

/// <summary>Reads <c>--name value</c> options of a benchmark mode.</summary>
public sealed class BenchArgs(string[] args)
{
    public int Int(string name, int fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }

    public string? String(string name)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

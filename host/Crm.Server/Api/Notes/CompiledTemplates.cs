using System.Collections.Concurrent;
using Crm.Client;
using Crm.Grains.Notes;
using Scriban;

namespace Crm.Server.Api.Notes;

/// <summary>
/// Parsed bodies of saved template versions. A version never changes, so its parse is kept; the cache is
/// bounded and simply starts over when full.
/// </summary>
public sealed class CompiledTemplates
{
    private const int Capacity = 2048;
    private readonly ConcurrentDictionary<(string Id, int Version), Template> _cache = new();

    public Template? Get(NoteTemplateDto template)
    {
        if (_cache.TryGetValue((template.Id, template.Version), out var cached))
        {
            return cached;
        }

        var (compiled, _) = NoteBodyCompiler.Compile(template.Body, template.Fields.Select(f => f.Key!));
        if (compiled is null)
        {
            return null;
        }

        if (_cache.Count >= Capacity)
        {
            _cache.Clear();
        }

        return _cache[(template.Id, template.Version)] = compiled;
    }
}

using Crm.Sdk;

namespace CrmPlugin1;

/// <summary>The entry point the server looks for: a public class implementing <see cref="ICrmPlugin"/>.</summary>
public sealed class Plugin : ICrmPlugin
{
    public string Name => "CrmPlugin1";

    /// <summary>Called once per load: register what the plugin offers; no I/O here.</summary>
    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new FewestOpenLeadsStrategy());
        registry.AddDedupStrategy(new PhoneDigitsStrategy());
        registry.AddNoteTemplates(new VisitNoteTemplates());
    }
}

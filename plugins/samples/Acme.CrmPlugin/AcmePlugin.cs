using Crm.Sdk;

namespace Acme.CrmPlugin;

/// <summary>The entry point the server looks for: a public class implementing ICrmPlugin.</summary>
public sealed class AcmePlugin : ICrmPlugin
{
    public string Name => "Acme.CrmPlugin";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new RegionFirstStrategy());
        registry.AddDedupStrategy(new EmailDomainStrategy());
        registry.AddNoteTemplates(new SiteVisitTemplates());
    }
}

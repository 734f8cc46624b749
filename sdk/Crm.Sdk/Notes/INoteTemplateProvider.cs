namespace Crm.Sdk;

/// <summary>Supplies quick-note templates (a field schema plus a Scriban body) that reps fill in on a visit.</summary>
public interface INoteTemplateProvider
{
    /// <summary>The templates this provider offers. Called at load time; the host validates and caches them.</summary>
    /// <returns>The templates; ids must be unique in the host.</returns>
    IEnumerable<NoteTemplateDefinition> Templates();
}

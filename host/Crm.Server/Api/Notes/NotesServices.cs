namespace Crm.Server.Api.Notes;

public static class NotesServices
{
    /// <summary>The notes APIs' services: read-model queries, template scope, the compiled-body cache, the composer and the importer.</summary>
    public static IServiceCollection AddNotes(this IServiceCollection services) => services
        .AddSingleton<NoteQueries>()
        .AddSingleton<NoteTemplateScope>()
        .AddSingleton<CompiledTemplates>()
        .AddSingleton<NoteComposer>()
        .AddSingleton<NoteTemplateImporter>();
}

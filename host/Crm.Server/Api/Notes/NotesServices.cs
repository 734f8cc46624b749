namespace Crm.Server.Api.Notes;

public static class NotesServices
{
    /// <summary>The notes API's services: read-model queries, template scope, the compiled-body cache and the composer.</summary>
    public static IServiceCollection AddNotes(this IServiceCollection services) => services
        .AddSingleton<NoteQueries>()
        .AddSingleton<NoteTemplateScope>()
        .AddSingleton<CompiledTemplates>()
        .AddSingleton<NoteComposer>();
}

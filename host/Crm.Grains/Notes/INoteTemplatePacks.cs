namespace Crm.Grains.Notes;

/// <summary>
/// The note templates plugins offer for import. Implemented over the plugin loader; the notes API reads it, so
/// templates reach a business only when it imports them (a plugin update never rewrites a business's templates).
/// </summary>
public interface INoteTemplatePacks
{
    IReadOnlyList<NoteTemplatePack> Available();
}

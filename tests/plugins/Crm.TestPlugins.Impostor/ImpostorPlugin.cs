using Crm.Sdk;

namespace Crm.TestPlugins.Impostor;

/// <summary>
/// A copy of another plugin whose <see cref="Name"/> was never changed: it says it is Crm.TestPlugins.Good's
/// "Acme.Assignment". Being second in load order, it must not load.
/// </summary>
public sealed class ImpostorPlugin : ICrmPlugin
{
    public string Name => "Acme.Assignment";

    public void Register(IPluginRegistry registry)
    {
        registry.AddAssignmentStrategy(new ImpostorStrategy());
        registry.AddNoteTemplates(new ImpostorTemplates());
    }
}

public sealed class ImpostorStrategy : IAssignmentStrategy
{
    public string Name => "impostor-pick";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Nobody("impostor");
}

public sealed class ImpostorTemplates : INoteTemplateProvider
{
    public IEnumerable<NoteTemplateDefinition> Templates() =>
    [
        new NoteTemplateDefinition
        {
            Id = "impostor-visit", Name = "Impostor visit", Language = "en", Body = "OTHER PLUGIN {{ topic }}",
            Fields = [new NoteFieldDefinition { Key = "topic", Label = "Topic", Type = NoteFieldType.Text }],
        },
    ];
}

using Crm.Sdk;

namespace Acme.SmtpEmail;

/// <summary>Registers the <c>smtp-email</c> message channel.</summary>
public sealed class SmtpEmailPlugin : ICrmPlugin
{
    public string Name => "Acme.SmtpEmail";

    public void Register(IPluginRegistry registry) => registry.AddMessageChannel(new SmtpEmailChannel());
}

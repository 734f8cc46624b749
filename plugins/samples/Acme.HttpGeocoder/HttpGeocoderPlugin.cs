using Crm.Sdk;

namespace Acme.HttpGeocoder;

/// <summary>Registers the <c>acme-http</c> geocoder.</summary>
public sealed class HttpGeocoderPlugin : ICrmPlugin
{
    public string Name => "Acme.HttpGeocoder";

    public void Register(IPluginRegistry registry) => registry.AddGeocoder(new HttpGeocoder());
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Crm.Server.Storage;

/// <summary>
/// Mutual TLS on the silo-to-silo and gateway connections (Orleans.Connections.Security): each side shows the cluster
/// certificate and refuses a peer whose certificate is not the cluster's (or one of the allowed ones). The certificate
/// is self-issued for the cluster, so trust is by thumbprint, not by a public chain or a host name.
/// </summary>
public static class ClusterTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterTlsOptions options)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException(
                $"Crm:Cluster:Tls:CertificatePath '{options.CertificatePath}' could not be read with Crm:Cluster:Tls:CertificatePassword: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Crm:Cluster:Tls:CertificatePath '{options.CertificatePath}' holds no private key.");
        }

        var trusted = options.AllowedThumbprints.Select(t => t.ToUpperInvariant()).Append(certificate.Thumbprint.ToUpperInvariant()).ToHashSet();
        silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, errors) =>
                remote is not null && trusted.Contains(remote.Thumbprint.ToUpperInvariant())
                && (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None;
        });
        return silo;
    }
}

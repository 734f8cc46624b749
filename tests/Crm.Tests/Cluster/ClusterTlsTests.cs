using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Cluster;

/// <summary>
/// Two silos on PostgreSQL with TLS between them (Crm:Cluster:Tls, mutual, trust by the cluster certificate's
/// thumbprint): they form one cluster and serve the same customers, their silo port speaks TLS with the cluster
/// certificate, and a peer showing another certificate is cut off.
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private const string Password = "cluster-cert-password";
    private readonly TempDirectory _dataA = new("crm-tls-a");
    private readonly TempDirectory _dataB = new("crm-tls-b");
    private readonly TempDirectory _certs = new("crm-tls-certs");
    private PostgresDatabase _database = null!;
    private ServerProcess _siloA = null!;
    private ServerProcess _siloB = null!;
    private X509Certificate2 _cluster = null!;
    private int _siloPortA;

    public async Task InitializeAsync()
    {
        _cluster = SelfSigned("CN=crm-cluster");
        var path = Path.Combine(_certs.Path, "cluster.pfx");
        await File.WriteAllBytesAsync(path, _cluster.Export(X509ContentType.Pkcs12, Password));
        _database = await PostgresDatabase.CreateAsync();
        Dictionary<string, string> Settings() => new(_database.ServerSettings())
        {
            ["Crm__Cluster__Tls__Enabled"] = "true",
            ["Crm__Cluster__Tls__CertificatePath"] = path,
            ["Crm__Cluster__Tls__CertificatePassword"] = Password,
        };

        var a = new ServerProcess(_dataA.Path, Settings());
        var b = new ServerProcess(_dataB.Path, Settings());
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        (_siloA, _siloB) = (a, b);
        _siloPortA = a.SiloPort;
    }

    [Fact]
    public async Task Two_silos_with_tls_form_one_cluster_and_refuse_a_peer_without_the_cluster_certificate()
    {
        var adminA = await _siloA.Api().LoginAsAdminAsync();
        await WaitForTwoSilosAsync(adminA);
        var world = await TestWorld.CreateAsync(_siloA);
        var lead = await world.NewLeadAsync("Encrypted cluster lead");
        var repAOnB = new CrmApi(_siloB.BaseAddress, world.RepA.Token) { UserId = world.RepA.UserId };
        Assert.Equal(HttpStatusCode.OK, (await repAOnB.ClaimAsync(lead.Id)).Status);
        Assert.Equal(world.RepA.UserId, (await adminA.GetCustomerAsync(lead.Id)).Value!.OwnerId);

        // The silo port speaks TLS and shows the cluster certificate; a peer with it stays connected ...
        var (shown, keptOpen) = await ProbeAsync(_cluster);
        Assert.Equal(_cluster.Thumbprint, shown);
        Assert.True(keptOpen, "a peer showing the cluster certificate was cut off");

        // ... and one with a certificate of its own is cut off.
        using var stranger = SelfSigned("CN=crm-cluster");
        var (_, strangerKeptOpen) = await ProbeAsync(stranger);
        Assert.False(strangerKeptOpen, "a peer with a foreign certificate stayed connected");
    }

    /// <summary>
    /// Connects to silo A's port as a TLS client with <paramref name="clientCertificate"/>: the certificate the silo
    /// showed, and whether the connection is still open two seconds later (Orleans waits for the peer's greeting).
    /// </summary>
    private async Task<(string? Shown, bool KeptOpen)> ProbeAsync(X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _siloPortA);
        string? shown = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            shown = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
            return true;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "crm-cluster",
                ClientCertificates = [clientCertificate],
            });
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var read = await tls.ReadAsync(new byte[16], wait.Token);
            return (shown, read > 0);
        }
        catch (OperationCanceledException)
        {
            return (shown, true);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return (shown, false);
        }
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    private static Task WaitForTwoSilosAsync(CrmApi admin) => ClusterMembership.WaitForSilosAsync(admin, 2, TimeSpan.FromSeconds(90));

    public async Task DisposeAsync()
    {
        await _siloA.DisposeAsync();
        await _siloB.DisposeAsync();
        await _database.DisposeAsync();
        _cluster.Dispose();
        _dataA.Dispose();
        _dataB.Dispose();
        _certs.Dispose();
    }
}

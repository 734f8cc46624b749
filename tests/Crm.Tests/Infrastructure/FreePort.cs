using System.Net;
using System.Net.Sockets;

namespace Crm.Tests.Infrastructure;

/// <summary>Finds TCP ports nobody listens on, so that servers and silos started by tests never collide.</summary>
public static class FreePort
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}

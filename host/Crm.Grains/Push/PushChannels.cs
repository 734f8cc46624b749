namespace Crm.Grains.Push;

/// <summary>Names of push channels, shared by the grains that publish and the hub that subscribes.</summary>
public static class PushChannels
{
    public static string Rep(string repId) => $"rep:{repId}";

    public static string Unit(string orgUnitId) => $"unit:{orgUnitId}";
}

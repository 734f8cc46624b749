namespace Crm.Server.Auth;

/// <summary>Authorization policies by role; role claim values are lower-case.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string ManagerOrAdmin = "manager-or-admin";

    public static IServiceCollection AddCrmPolicies(this IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(Admin, p => p.RequireRole("admin"))
        .AddPolicy(ManagerOrAdmin, p => p.RequireRole("admin", "manager"))
        .Services;
}

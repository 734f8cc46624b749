namespace Crm.Server.Api.Tasks;

/// <summary>Tasks' services and routes, for Program's composition.</summary>
public static class TasksComposition
{
    public static IServiceCollection AddCrmTasks(this IServiceCollection services) => services.AddSingleton<TaskQueries>();

    public static IEndpointRouteBuilder MapCrmTasksApi(this IEndpointRouteBuilder app) => app.MapTasksApi();
}

using Crm.Server.Api.Sequences;

namespace Crm.Server.Api.Tasks;

/// <summary>Tasks' and sequences' services and routes, for Program's composition.</summary>
public static class TasksComposition
{
    public static IServiceCollection AddCrmTasks(this IServiceCollection services) => services
        .AddSingleton<TaskQueries>()
        .AddSingleton<SequenceQueries>();

    public static IEndpointRouteBuilder MapCrmTasksApi(this IEndpointRouteBuilder app) => app.MapTasksApi().MapSequencesApi();
}

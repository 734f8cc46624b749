using System.Reflection;
using System.Runtime.Loader;
using Crm.Client;
using Crm.Sdk;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;

namespace Crm.Server.Plugins;

/// <summary>
/// Loads one plugin folder (<c>&lt;folder&gt;/&lt;folder&gt;.dll</c>) into its own unloadable load context that
/// shares <c>Crm.Sdk</c> and the Microsoft.Extensions abstractions with the host. Never throws: every failure
/// becomes a <see cref="LoadedPlugin"/> in state failed or incompatible, with the reason.
/// </summary>
internal sealed class PluginFolderLoader(IOptions<PluginOptions> options)
{
    // Types whose assemblies the plugin must see as the host's own, or the host could not use what it registers.
    private static readonly Type[] SharedTypes =
    [
        typeof(ICrmPlugin),
        typeof(ILogger),
        typeof(IServiceProvider),
        typeof(IServiceCollection),
        typeof(IOptions<>),
        typeof(IConfiguration),
        typeof(Microsoft.Extensions.Primitives.StringValues),
    ];

    public static Version HostApiVersion => PluginApi.Version;

    public LoadedPlugin Load(string folder)
    {
        var folderName = Path.GetFileName(folder);
        var mainAssembly = Path.Combine(folder, folderName + ".dll");
        if (!File.Exists(mainAssembly))
        {
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Failed, $"The folder has no {folderName}.dll (a plugin folder is named after its assembly).");
        }

        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(mainAssembly, isUnloadable: true, SharedTypes, config =>
            {
                // In memory: replacing the files of a loaded plugin (for a reload) cannot pull code from under it.
                config.LoadInMemory = true;
            });
            var result = Inspect(folderName, loader);
            if (result.State != PluginState.Loaded)
            {
                loader.Dispose();
            }

            return result;
        }
        catch (Exception exception)
        {
            loader?.Dispose();
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Failed, Describe(exception));
        }
    }

    private LoadedPlugin Inspect(string folderName, PluginLoader loader)
    {
        var assembly = loader.LoadDefaultAssembly();
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString();
        var sdk = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(ICrmPlugin).Assembly.GetName().Name);
        if (sdk?.Version is not { } sdkVersion)
        {
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Failed, "The assembly does not reference Crm.Sdk.", version);
        }

        if (sdkVersion.Major > HostApiVersion.Major)
        {
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Incompatible,
                $"Built against Crm.Sdk {sdkVersion}; this server supports Crm.Sdk {HostApiVersion.Major}.x ({HostApiVersion}).",
                version, sdkVersion.ToString());
        }

        // A newer minor (1.1 on a 1.0 server) may use members this server's Crm.Sdk lacks; the runtime would refuse to bind
        // it anyway, and the "missing dependency" it reports would send the integrator to ship Crm.Sdk, which they must not.
        if (sdkVersion > HostApiVersion)
        {
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Incompatible,
                $"Built against Crm.Sdk {sdkVersion}, newer than this server's Crm.Sdk {HostApiVersion}: build it against Crm.Sdk {HostApiVersion} "
                + "or lower, or update the server.",
                version, sdkVersion.ToString());
        }

        LoadReferences(loader, assembly);
        var entryTypes = assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(ICrmPlugin).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (entryTypes.Count == 0)
        {
            return LoadedPlugin.Failed(folderName, folderName, PluginState.Failed, "No public class implements Crm.Sdk.ICrmPlugin.", version, sdkVersion.ToString());
        }

        var registry = new RegistryCollector(HostApiVersion);
        var names = new List<string>();
        foreach (var type in entryTypes)
        {
            // On a thread of its own: the time limit is the plugin's, not a wait in a busy thread pool's queue (a starved
            // pool could fail a plugin whose Register does nothing), and a Register that never returns holds no pool thread.
            var register = Task.Factory.StartNew(() =>
            {
                var plugin = (ICrmPlugin)Activator.CreateInstance(type)!;
                names.Add(plugin.Name);
                plugin.Register(registry);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (!register.Wait(TimeSpan.FromSeconds(options.Value.LoadTimeoutSeconds)))
            {
                registry.Seal();
                return LoadedPlugin.Failed(folderName, names.FirstOrDefault() ?? folderName, PluginState.Failed,
                    $"{type.Name}.Register did not return within {options.Value.LoadTimeoutSeconds} s.", version, sdkVersion.ToString());
            }
        }

        registry.Seal();
        var plugin = new LoadedPlugin
        {
            Folder = folderName,
            // One entry point names the plugin; an assembly with several is known by its folder (assembly) name.
            Name = names.Count == 1 && !string.IsNullOrWhiteSpace(names[0]) ? names[0] : folderName,
            Version = version,
            SdkVersion = sdkVersion.ToString(),
            State = PluginState.Loaded,
            Loader = loader,
            AssignmentStrategies = registry.AssignmentStrategies,
            DedupStrategies = registry.DedupStrategies,
            NoteTemplates = registry.TemplateProviders.SelectMany(p => p.Templates() ?? []).ToList(),
            MessageChannels = registry.MessageChannels,
            Geocoders = registry.Geocoders,
        };
        return plugin;
    }

    /// <summary>
    /// Loads every assembly the plugin references, and theirs within the plugin's own load context, now: a library left
    /// out of the folder fails the load naming it (FileNotFoundException, see <see cref="Describe"/>), rather than loading
    /// the plugin and faulting every later call of the strategy that needs it. Framework and shared assemblies resolve
    /// from the host and are not followed further.
    /// </summary>
    private static void LoadReferences(PluginLoader loader, Assembly assembly)
    {
        var pluginContext = AssemblyLoadContext.GetLoadContext(assembly);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<Assembly>([assembly]);
        while (pending.TryPop(out var next))
        {
            foreach (var reference in next.GetReferencedAssemblies().Where(r => seen.Add(r.FullName)))
            {
                var loaded = loader.LoadAssembly(reference);
                if (AssemblyLoadContext.GetLoadContext(loaded) == pluginContext)
                {
                    pending.Push(loaded);
                }
            }
        }
    }

    /// <summary>A reason an admin can act on: the missing file, the first loader error, the plugin's own message.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        while (inner is TargetInvocationException or TypeInitializationException && inner.InnerException is not null)
        {
            inner = inner.InnerException!;
        }

        return inner switch
        {
            ReflectionTypeLoadException types => Describe(types.LoaderExceptions.FirstOrDefault(e => e is not null) ?? types),
            FileNotFoundException missing => $"Missing dependency: {missing.FileName ?? missing.Message}",
            FileLoadException bad => $"Dependency could not be loaded: {bad.FileName ?? ""} ({bad.Message})",
            BadImageFormatException => $"Not a valid .NET assembly: {inner.Message}",
            _ => $"{inner.GetType().Name}: {inner.Message}",
        };
    }
}

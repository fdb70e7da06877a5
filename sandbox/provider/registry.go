package provider

// The table of supported types, filled by the schemas_*.go files.
var (
	resourceSpecs = map[string]resourceSpec{}
	dataSpecs     = map[string]dataSpec{}
)

func addResources(specs ...resourceSpec) {
	for _, s := range specs {
		if _, dup := resourceSpecs[s.typeName]; dup {
			panic("resource type registered twice: " + s.typeName)
		}
		resourceSpecs[s.typeName] = s
	}
}

func addDataSources(specs ...dataSpec) {
	for _, s := range specs {
		if _, dup := dataSpecs[s.typeName]; dup {
			panic("data source type registered twice: " + s.typeName)
		}
		dataSpecs[s.typeName] = s
	}
}

// ResourceTypes lists the managed resource types the sandbox provider supports.
func ResourceTypes() []string { return sortedKeys(resourceSpecs) }

// DataSourceTypes lists the data source types the sandbox provider supports.
func DataSourceTypes() []string { return sortedKeys(dataSpecs) }

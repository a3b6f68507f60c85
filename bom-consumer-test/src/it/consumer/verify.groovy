// Runs after the consumer's build (target/it/consumer). It fails the build, with the reason, when a
// project that imports only integrations-bom resolves another third-party version than the one our
// build tested a module with, or when which version it gets depends on declaration order.

def reactor = new File(reactorRoot).canonicalFile
// consumer module -> the published module it uses (its directory in our reactor, its artifactId)
def uses = [
    'uses-core'      : ['integrations-core', 'integrations-core'],
    'uses-oauth'     : ['integrations-oauth', 'integrations-oauth'],
    'uses-normalize' : ['integrations-normalize', 'integrations-normalize'],
    'uses-testkit'   : ['integrations-testkit', 'integrations-testkit'],
    'uses-hubspot'   : ['integrations-connectors/hubspot', 'integrations-connector-hubspot'],
    'uses-slack'     : ['integrations-connectors/slack', 'integrations-connector-slack'],
    'uses-salesforce': ['integrations-connectors/salesforce', 'integrations-connector-salesforce'],
]

// One resolved artifact per line of dependency:list, "group:artifact:type[:classifier]:version:scope",
// then maybe " -- module name"; returns "group:artifact:type[:classifier]" -> version.
def readList = { File file ->
    if (!file.isFile()) {
        throw new AssertionError("Missing ${file}: build the published modules to the package phase first " +
                "(e.g. ./mvnw -pl bom-consumer-test -am verify).")
    }
    def versions = new TreeMap<String, String>()
    file.eachLine { line ->
        def parts = line.trim().split(' -- ')[0].split(':')
        if (parts.length >= 5) {
            versions[parts[0..-3].join(':')] = parts[-2]
        }
    }
    versions
}

def problems = []
def compare = { String what, Map<String, String> tested, Map<String, String> resolved ->
    (tested.keySet() + resolved.keySet()).toSorted().each { key ->
        if (tested[key] != resolved[key]) {
            problems << "${what}: ${key} was tested at ${tested[key] ?: '(absent)'}, a build importing only " +
                    "integrations-bom resolves ${resolved[key] ?: '(absent)'}"
        }
    }
}

def everything = new TreeMap<String, String>()
def moduleVersion = null
uses.each { consumerModule, published ->
    def (dir, artifactId) = published
    def tested = readList(new File(reactor, "${dir}/target/runtime-dependencies.txt"))
    def resolved = readList(new File(basedir, "${consumerModule}/target/resolved-dependencies.txt"))
    def self = "dev.switchboard:${artifactId}:jar".toString()
    moduleVersion = resolved[self]
    if (moduleVersion == null || tested.isEmpty()) {
        throw new AssertionError("${consumerModule}: nothing resolved for ${artifactId} (tested: ${tested.size()})")
    }
    resolved.remove(self)
    compare(artifactId, tested, resolved)
    tested.each { key, version ->
        def other = everything.putIfAbsent(key, version)
        if (other != null && other != version) {
            problems << "our modules disagree on ${key}: ${other} and ${version}"
        }
    }
    everything[self] = moduleVersion
}
// The application using every module resolves the union of what each was tested with.
compare('app (all modules)', everything, readList(new File(basedir, 'app/target/resolved-dependencies.txt')))

// A version conflict whose loser is as near as its winner is settled by declaration order, which a
// user's own POM changes: each module must declare such an artifact itself, one level nearer.
def node = ~/^((?:[| ] {2})*)[+\\]- (\()?(\S+)(.*)$/
(uses.keySet() + ['app']).each { consumerModule ->
    def depth = [:]
    def conflicts = []
    new File(basedir, "${consumerModule}/target/dependency-tree.txt").eachLine { line ->
        def m = node.matcher(line)
        if (!m.matches()) {
            return
        }
        def parts = m.group(3).split(':')
        def key = parts[0..1].join(':')
        def level = m.group(1).length().intdiv(3)
        if (m.group(2) == null) {
            depth[key] = level
        } else if (m.group(4).contains('omitted for conflict')) {
            conflicts << [key, parts[-2], level]
        }
    }
    conflicts.each { key, version, level ->
        if (depth[key] == level) {
            problems << "${consumerModule}: ${key} ${version} loses only by declaration order (as near as the winner)"
        }
    }
}

if (!problems.isEmpty()) {
    throw new AssertionError("A build importing only integrations-bom does not get what we tested:\n  " +
            problems.join('\n  ') + '\nDeclare the artifact in the module that brings it (version from the ' +
            'root pom); see docs/architecture.md, "What a user\'s build resolves".')
}
println "BOM consumer: ${everything.size()} artifacts, each at the version our build tested."
return true

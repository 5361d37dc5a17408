package dev.llmotel.core.agent;

import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.jar.Manifest;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Gates a module on the major version that a library's jar manifest declares, so that a future
 * major with an unknown API is left alone instead of half-instrumented. When the version cannot be
 * read (a shaded or repackaged jar), class-presence checks alone decide.
 */
public final class LibraryVersionMatcher {

  public static ElementMatcher.Junction<ClassLoader> majorBelow(String classResource, int exclusiveMajor) {
    return new ElementMatcher.Junction.AbstractBase<ClassLoader>() {
      @Override
      public boolean matches(ClassLoader classLoader) {
        Integer major = majorVersion(classLoader, classResource);
        return major == null || major < exclusiveMajor;
      }
    };
  }

  static Integer majorVersion(ClassLoader classLoader, String classResource) {
    try {
      URL url = classLoader == null ? ClassLoader.getSystemResource(classResource)
          : classLoader.getResource(classResource);
      if (url == null) return null;
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection)) return null;
      Manifest manifest = ((JarURLConnection) connection).getManifest();
      if (manifest == null) return null;
      String version = manifest.getMainAttributes().getValue("Implementation-Version");
      if (version == null) return null;
      int dot = version.indexOf('.');
      return Integer.parseInt(dot < 0 ? version.trim() : version.substring(0, dot).trim());
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  private LibraryVersionMatcher() {}
}

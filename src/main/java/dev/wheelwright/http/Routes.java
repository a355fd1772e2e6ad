package dev.wheelwright.http;

import io.javalin.config.RoutesConfig;

/** A group of endpoints that adds itself to the router. */
interface Routes {
    void addTo(RoutesConfig routes);
}
